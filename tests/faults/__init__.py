"""The fault drill (`make faults`): realistic faults injected from outside the code under test,
each followed by a run of the suite, to show which bugs the suite catches (docs/ml-test-score.md)."""
