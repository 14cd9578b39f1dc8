"""The GPT screen (F5): microgpt's tiny GPT trained live, its samples, and one token's graph.

Imports nothing, so the plain modules here load without Textual.
"""
