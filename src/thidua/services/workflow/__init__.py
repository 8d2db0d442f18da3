"""``POST @workflow/<transition>`` on thidua's types: plone.restapi's, with
refusals in thidua's error shape and the request's language."""
