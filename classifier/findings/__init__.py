"""Stage 3: derived facts -> the Result: businesses, red lines, questions, claims, requirements."""
