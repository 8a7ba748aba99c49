// Debian's headless Chromium through playwright-core (Playwright cannot download its own
// browser on these machines).
// Headless Chromium 156 loads its omnibox popup (a WebUI page in a renderer of its own) for
// every new tab: ~0.3 s of CPU per page, on a 2-core machine in the middle of the load being
// timed. A browser a person uses has it loaded once; the benches turn it off.
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup'];

export function launchChromium() {
	return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS });
}
