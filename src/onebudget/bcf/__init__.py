"""The Better Care Fund: framework years as reviewed data, the plan, and its checks."""
