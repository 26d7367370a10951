"""The course on a JupyterHub for a class: the hub's config (``jupyterhub_config.py``) and the
nbgitpuller link helper (``python -m classroom.link``). The README's *In a classroom* section says
how to use both."""
