# JupyterLab settings for the lessons, read by the README's
# `jupyter lab --config .jupyter/jupyter_server_config.py ...`.
# Saving (and autosaving) a lesson notebook writes it without its outputs, as build.py wrote it, so that the tests
# still pass after a class has run the notebooks. Notebooks elsewhere keep their outputs.
# See diffusion_lab/notebook_hook.py.
c = get_config()  # noqa: F821 (Jupyter defines get_config when it reads this file)
c.ContentsManager.pre_save_hook = "diffusion_lab.notebook_hook.clear_lesson_outputs"
