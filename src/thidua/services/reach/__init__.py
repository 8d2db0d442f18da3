"""``@reach``: a model's reach (thidua.replication.reach) and its activities."""
