"""``@honour-board``: the public gallery of honoured models below the context."""
