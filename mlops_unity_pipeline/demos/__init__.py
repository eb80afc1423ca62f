"""Demonstrations for offline RL: a scripted expert per task, recorded in ML-Agents' .demo format."""
