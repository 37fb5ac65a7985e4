"""The analytics dashboard at ``/analytics``: sign-in (``session``), pages and charts
(``pages``, ``charts``) and the routes that tie them to the server (``routes.install``)."""
