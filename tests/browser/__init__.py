"""Real-browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Run:    .venv/bin/pytest tests/browser            (or -m browser; -m "not browser" skips them)
Needs:  apt-get install chromium fonts-noto-cjk   (GONGKAI_CHROMIUM=/path overrides the binary;
        Playwright's own browser download is not used). Without Chromium every test fails.
Leaves: artifacts/screenshots/journey{1..5}-*.png on every run, and FAILED-<test>-NN.png of
        every open page when a test fails.
Speed:  bench/page_load.py (slow-4G page loads) writes bench/PAGES.md; nothing here times pages.
"""
