"""Local deployment: write a Zope WSGI instance and create the Plone site."""
