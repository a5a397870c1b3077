"""Public pages (public.py) and coordinator screens (control.py)."""
