"""Pure domain logic of the matching service: households, ceilings, eligibility rules, ranking, cotation.

Nothing here imports Flask, SQLAlchemy or an Elasticsearch client: every function works on plain data.
"""
