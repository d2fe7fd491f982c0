"""Starts threads whose targets are builtins (no learner frame on the stack): os.system and
exec of code that writes outside the run."""
import os
import threading

_CODE = ("open('/tmp/kata-attack-sentinel/pwned-exec', 'w').write('x'); "
         "open('/tmp/kata-attack-sentinel/keep.txt', 'w').write('gone')")
for thread in (threading.Thread(target=os.system,
                                args=("echo gone > /tmp/kata-attack-sentinel/keep.txt",)),
               threading.Thread(target=exec, args=(_CODE,))):
    thread.start()
    thread.join()


def add(a, b):
    return 0


def sub(a, b):
    return 0
