"""Replication (nhân rộng): what spreads an advanced model once it is selected.

An ``Activity`` (experience report, site visit, article or broadcast, compiled
material, a movement to learn from the model, a writing contest) lives in the
unit that organised it and names the models it features; an ``Adoption`` lives
in the unit that took up a model's method. Both follow
``thidua_activity_workflow``: internal to the unit's staff, or public.
"""
