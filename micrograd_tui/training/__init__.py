"""The Train screen: its screen, widgets and plain logic.

Imports nothing, so a headless command can load a plain module from here (``figures``)
without Textual.
"""
