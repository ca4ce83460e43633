/**
 * Lets Obsidian's main thread breathe during a pass over the whole library:
 * `await breathe()` in the loop costs a resolved promise while the pass has
 * run for less than `budgetMs`, and otherwise gives the app one turn of its
 * event loop (input, rendering) before the pass goes on. No task of the
 * pass then grows with the size of the library.
 *
 * The turn is a message to itself, not a timer: a browser holds a timer set
 * from a chain of timers for at least 4 ms, so a pass breathing through
 * `setTimeout(0)` every 8 ms would spend a third of its time waiting.
 */
export function breather(budgetMs = 8): () => Promise<void> {
	let since = Date.now();
	return () => {
		if (Date.now() - since < budgetMs) return Promise.resolve();
		return nextTask().then(() => {
			since = Date.now();
		});
	};
}

/** Resolves in a task of its own, queued behind whatever the app has waiting. */
function nextTask(): Promise<void> {
	return new Promise((resolve) => {
		const channel = new MessageChannel();
		channel.port1.onmessage = () => {
			channel.port1.close();
			resolve();
		};
		channel.port2.postMessage(null);
	});
}
