"""What documents claim about themselves (a count, an amount), beside what the tracker counts."""
