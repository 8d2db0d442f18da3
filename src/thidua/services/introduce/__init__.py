"""``@introduce`` on a Candidate: copy it upward (thidua.introduce)."""
