"""Grounding tools of MoKA: the Repository Tree Builder and the Error Extractor."""
