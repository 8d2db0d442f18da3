"""``@export`` on a Unit, Plan or Movement: its candidates as xlsx or csv."""
