"""The front desk: a local web page that prints one handout for one patient, a blank copy, or a stack of blank copies.

service: the pool of worker processes that print; forms: the form's fields and checks; app: the Flask routes;
server: the HTTP server in front; command: `generate.py serve`.
"""
