"""The editors' workbench: their landing page after login."""
