"""``@deadlines`` on a Unit or a Plan: upcoming and overdue deadlines (thidua.deadlines)."""
