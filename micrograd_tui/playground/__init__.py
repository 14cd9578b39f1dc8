"""The Playground: its screen, widgets and plain logic.

Imports nothing, so a headless command can load a plain module from here (``graph_index``,
``examples``) without Textual.
"""
