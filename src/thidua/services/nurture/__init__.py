"""``@nurture`` on a Candidate: its nurture plan (thidua.nurture)."""
