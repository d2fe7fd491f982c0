raise SystemExit("a learner's iniconfig.py must never be imported")
