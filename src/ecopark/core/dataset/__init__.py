"""The dataset model: a park's observations and facts, with all their sections."""
