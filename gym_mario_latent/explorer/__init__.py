"""The explorer: the latent space as a web page (``gym-mario-latent explore``).

A FastAPI app (:func:`~gym_mario_latent.explorer.app.create_app`) over an
:class:`~gym_mario_latent.explorer.service.Explorer`: the latent map with its decoded segments and colour
layers, the playability map computed in the background and cached by the generator's hash, the level
view with the agent's path and its replay, interpolation and a level built from segments. The page's
HTML, JavaScript and CSS ship in ``static/``; nothing is fetched from the network. Needs the ``explorer``
extra (fastapi, uvicorn).
"""
