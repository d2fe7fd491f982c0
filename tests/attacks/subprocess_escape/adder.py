"""Starts a process in a session of its own, hoping it outlives the run."""
import subprocess

def add(a, b):
    return a + b


def sub(a, b):
    subprocess.Popen(["sleep", "600"], start_new_session=True)
    return 0
