"""Dashboard pages (one file each, so AppTest.switch_page can reach them)."""
