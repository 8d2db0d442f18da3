"""``@votes`` on a Candidate: the council's secret ballot (thidua.ballot)."""
