// Debian's headless Chromium through playwright-core (Playwright cannot download its own
// browser on these machines).
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium() {
	return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS });
}
