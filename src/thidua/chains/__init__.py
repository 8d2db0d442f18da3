"""Approval chains: the YAML files in workflows/ turned into DCWorkflow definitions.

loader.py reads and validates a file (merged with the chain it extends),
sources.py says where the chains come from (shipped files, texts stored through
the web) and checks them together, compiler.py builds or updates the live
workflow, access.py gives the chain a live workflow was built from, status.py
writes or forces an item's state, guards.py holds the named guards a file may
use, events.py enforces what DCWorkflow cannot express (required comments).
titles.py gives a title written {vi, en} in a language, catalogue.py writes
the plone.po entries of the shipped titles, diagram.py draws DOT (Graphviz),
svg.py draws SVG in Python, form.py turns the chains panel's fields into YAML.
"""
