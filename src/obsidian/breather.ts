/**
 * Lets Obsidian's main thread breathe during a pass over the whole library:
 * `await breathe()` in the loop costs a resolved promise while the pass has
 * run for less than `budgetMs`, and otherwise gives the app one turn of its
 * event loop (input, rendering) before the pass goes on. No task of the
 * pass then grows with the size of the library.
 */
export function breather(budgetMs = 8): () => Promise<void> {
	let since = Date.now();
	return () => {
		if (Date.now() - since < budgetMs) return Promise.resolve();
		return new Promise<void>((resolve) => {
			window.setTimeout(() => {
				since = Date.now();
				resolve();
			}, 0);
		});
	};
}
