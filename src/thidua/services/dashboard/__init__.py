"""``@dashboard`` on a Unit or a Plan: progress against quotas (thidua.dashboard)."""
