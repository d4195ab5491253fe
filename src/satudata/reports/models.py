"""The dissemination report (SOP step 7) and its archive."""
