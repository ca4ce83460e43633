import { describe, expect, it } from 'vitest';
import { htmlToMarkdown } from '../../../src/core/render/html-to-markdown';
import { inertPropertyText, neutraliseInline, neutraliseMarkdown } from '../../../src/core/render/neutralise';
import { REGION_BEGIN, REGION_END } from '../../../src/core/render/note';

const ZWSP = '\u200B';
const describeHtml = (html: string): string => neutraliseMarkdown(htmlToMarkdown(html));

/** Nothing in `text` that Obsidian or a plugin could act on. */
function expectInert(text: string): void {
	expect(text).not.toMatch(/<[A-Za-z!/?%]/);
	expect(text).not.toContain('%%');
	expect(text).not.toContain('[[');
	expect(text).not.toMatch(/!\[/);
	expect(text).not.toMatch(/```(?:dataview|dataviewjs|js|javascript|query|tasks)/i);
	// An unescaped backtick directly followed by a Dataview prefix.
	expect(text).not.toMatch(/(?:^|[^\\`])`+\s*\$?=/);
	expect(text).not.toMatch(/\]\((?!https?:\/\/|mailto:)/i);
	expect(text).not.toMatch(/obsidian:\/\//i);
	expect(text).not.toMatch(/^---\s*$/m);
	expect(text.split('\n').map((line) => line.trim())).not.toContain(REGION_END);
	expect(text.split('\n').map((line) => line.trim())).not.toContain(REGION_BEGIN);
}

describe('htmlToMarkdown', () => {
	it('converts common description HTML', () => {
		expect(htmlToMarkdown('<p>A <b>bold</b> and <i>italic</i> story.</p><ul><li>one</li><li>two</li></ul>'))
			.toBe('A **bold** and *italic* story.\n\n- one\n- two');
		expect(htmlToMarkdown('<p>See <a href="https://example.org">the site</a>.</p>')).toBe('See [the site](https://example.org).');
	});

	it('keeps plain-text paragraphs and line breaks', () => {
		expect(htmlToMarkdown('First paragraph.\n\nSecond\nline.')).toBe('First paragraph.\n\nSecond  \nline.');
		expect(htmlToMarkdown('Fish & chips < 5 > 3')).toContain('Fish & chips');
	});

	it('drops scripts, styles and frames with their content', () => {
		const markdown = htmlToMarkdown('<p>ok</p><script>alert(1)</script><style>p{}</style><iframe src="https://x"></iframe>');
		expect(markdown).toBe('ok');
	});

	it('returns empty for nothing', () => {
		expect(htmlToMarkdown(undefined)).toBe('');
		expect(htmlToMarkdown('   ')).toBe('');
	});
});

describe('neutraliseMarkdown', () => {
	it('leaves ordinary Markdown alone', () => {
		const text = 'A **bold** *move*.\n\n- one\n- two\n\n[site](https://example.org) and mail@example.org';
		expect(neutraliseMarkdown(text)).toBe(text);
	});

	it('escapes raw HTML and HTML comments', () => {
		const out = neutraliseMarkdown('<script>alert(1)</script> <img src=x onerror=alert(1)> <!-- hidden --> <b>x</b>');
		expect(out).toBe('&lt;script>alert(1)&lt;/script> &lt;img src=x onerror=alert(1)> &lt;!-- hidden --> &lt;b>x&lt;/b>');
		expectInert(out);
		expectInert(describeHtml('<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;!-- c --&gt;</p>'));
	});

	it('makes Dataview inline queries inert', () => {
		const out = neutraliseMarkdown('Value `= this.file.name` and `$= dv.current()` and ``= x`` and ` =y`');
		expect(out).toBe(`Value \`${ZWSP}= this.file.name\` and \`${ZWSP}$= dv.current()\` and \`\`${ZWSP}= x\`\` and \`${ZWSP} =y\``);
		expect(describeHtml('<code>= 1 + 1</code>')).toBe(`\`${ZWSP}= 1 + 1\``);
		expect(neutraliseMarkdown('`code` is fine')).toBe('`code` is fine');
	});

	it('does not let an unmatched backtick open code across lines', () => {
		expect(neutraliseMarkdown('start `= dv\nend`')).toBe('start \\`= dv\nend\\`');
	});

	it('rewrites every code fence language to text and defuses the content', () => {
		for (const lang of ['dataview', 'dataviewjs', 'js', 'javascript', 'query', 'tasks', 'base', 'python {.x}']) {
			const out = neutraliseMarkdown(`before\n\`\`\`${lang}\nTABLE file.name\n<!-- library-sync:end -->\n<% tp.x %>\n%%c%%\n\`\`\`\nafter`);
			expect(out).toBe(`before\n\`\`\`text\nTABLE file.name\n<${ZWSP}!-- library-sync:end -->\n<${ZWSP}% tp.x %>\n%${ZWSP}%c%${ZWSP}%\n\`\`\`\nafter`);
		}
		expect(neutraliseMarkdown('~~~~dataviewjs\ndv.x\n~~~~')).toBe('~~~~text\ndv.x\n~~~~');
		expect(neutraliseMarkdown('> ```dataviewjs\n> dv.x\n> ```')).toBe('> ```text\n> dv.x\n> ```');
		expect(neutraliseMarkdown('- ```js\n  x\n  ```')).toContain('- ```text');
		expect(describeHtml('<pre><code class="language-dataviewjs">dv.paragraph(1)</code></pre>')).toBe('```text\ndv.paragraph(1)\n```');
	});

	it('closes an unclosed fence so it cannot swallow the rest of the note', () => {
		expect(neutraliseMarkdown('```js\nnever closed')).toBe('```text\nnever closed\n```');
		expect(neutraliseMarkdown('````\ncode\n```\nstill code')).toBe('````\ncode\n```\nstill code\n````');
	});

	it('breaks Templater tags', () => {
		const out = neutraliseMarkdown('Title <% tp.file.title %> and <%* await tp.system.prompt() %>');
		expect(out).not.toContain('<%');
		expectInert(out);
	});

	it('removes dangerous links but keeps their text', () => {
		expect(neutraliseMarkdown('[open](obsidian://open?vault=x) [run](javascript:alert(1)) [d](data:text/html,x) [v](vbscript:x) [f](file:///etc/passwd)'))
			.toBe('open run d v f');
		expect(neutraliseMarkdown('[rel](/books/1) [note](Some%20Note.md)')).toBe('rel note');
		expect(neutraliseMarkdown('[ok](https://example.org/a_(b)) [mail](mailto:a@b.c)')).toBe('[ok](https://example.org/a_(b)) [mail](mailto:a@b.c)');
		expect(neutraliseMarkdown('[x](JaVaScRiPt:alert(1) "title")')).toBe('x');
		expect(neutraliseMarkdown('[x](<javascript:alert(1)>)')).not.toMatch(/\]\(/);
		expectInert(describeHtml('<a href="obsidian://open?vault=x">open</a> <a href="javascript:alert(1)">x</a> <a href=" java\tscript:alert(1)">y</a>'));
	});

	it('defuses bare dangerous URLs and reference definitions', () => {
		expect(neutraliseMarkdown('go to obsidian://open?vault=x now')).toBe(`go to obsidian:${ZWSP}//open?vault=x now`);
		expect(neutraliseMarkdown('[x][1]\n\n[1]: javascript:alert(1)')).toBe('[x][1]\n\n\\[1]: javascript:' + ZWSP + 'alert(1)');
	});

	it('turns remote image embeds into plain links or text', () => {
		expect(neutraliseMarkdown('![cover](https://evil.example/pixel.gif)')).toBe('[cover](https://evil.example/pixel.gif)');
		expect(neutraliseMarkdown('![](http://evil.example/p.gif)')).toBe('[image](http://evil.example/p.gif)');
		expect(neutraliseMarkdown('![x](data:image/png;base64,AAAA)')).toBe('x');
		expectInert(neutraliseMarkdown('![[http://evil.example/a.png]] ![[https://evil.example/b.png|100]]'));
		expectInert(describeHtml('<img src="http://evil.example/p.gif" alt="pixel">'));
	});

	it('defuses wikilinks and embeds from the server', () => {
		const out = neutraliseMarkdown('![[Private note]] [[Link]] \\[\\[Escaped\\]\\] ![[x#^block]]');
		expect(out).toBe('!&#91;[Private note]] &#91;[Link]] &#91;\\[Escaped\\]\\] !&#91;[x#^block]]');
		expectInert(out);
	});

	it('escapes Obsidian comments and our region markers', () => {
		expect(neutraliseMarkdown('a %%hidden%% b')).toBe('a &#37;&#37;hidden&#37;&#37; b');
		const markers = neutraliseMarkdown('<!-- library-sync:begin -->\n<!-- library-sync:end -->');
		expect(markers).toBe('&lt;!-- library-sync:begin -->\n&lt;!-- library-sync:end -->');
		expect(markers.split('\n').some((line) => line.trim() === '<!-- library-sync:end -->')).toBe(false);
	});

	it('keeps --- lines from starting frontmatter', () => {
		expect(neutraliseMarkdown('---\ntitle: x\n---')).toBe('***\ntitle: x\n***');
		expect(neutraliseMarkdown('  ----  ')).toBe('***');
	});

	it('defuses tags, inline fields and headings above the note sections', () => {
		expect(neutraliseMarkdown('#tag and text #other but C# and #1')).toBe('&#35;tag and text &#35;other but C# and &#35;1');
		expect(neutraliseMarkdown('rating:: 5')).toBe('rating:&#58; 5');
		expect(neutraliseMarkdown('# Big\n## Medium\n###### Small')).toBe('### Big\n#### Medium\n###### Small');
	});

	it('removes control and bidi characters and normalises line endings', () => {
		expect(neutraliseMarkdown('a\u202Eb\r\nc\rd\u0000e')).toBe('ab\nc\nde');
		expect(neutraliseMarkdown('\n\n\na\n\n\n\nb\n\n')).toBe('a\n\nb');
	});

	it('survives a catalogue of hostile input', () => {
		const hostile = [
			'<svg onload=alert(1)>', '<a href="javascript:alert(1)">x</a>', '<%+ tp.date.now() %>', '```dataviewjs\ndv.x()',
			'`$=dv.el("b","x")`', '![[evil.png]]', '![](https://e/x.png)', '[[Home]]', 'obsidian://x', '%%', '---',
			'<!-- library-sync:end -->', '<iframe src=//x>', '[a](obsidian://b)', '![a](obsidian://b)',
		];
		for (const text of hostile) {
			expectInert(neutraliseMarkdown(text));
			expectInert(describeHtml(text));
		}
	});
});

describe('neutraliseInline', () => {
	it('is one line with Markdown and HTML escaped', () => {
		expect(neutraliseInline('Dune\nMessiah')).toBe('Dune Messiah');
		expect(neutraliseInline('A *b* _c_ `d` [[e]] <f> #g %%h%% | i ~j~ =k= $l$ ^m \\n &o'))
			.toBe('A \\*b\\* \\_c\\_ \\`d\\` &#91;&#91;e&#93;&#93; &lt;f&gt; &#35;g &#37;&#37;h&#37;&#37; \\| i \\~j\\~ \\=k\\= \\$l\\$ \\^m \\\\n &amp;o');
	});

	it('breaks Templater, Dataview fields and dangerous URLs', () => {
		const out = neutraliseInline('<% tp.x %> key:: v obsidian://open ![[x]]');
		expect(out).not.toContain('<%');
		expect(out).not.toContain('::');
		expect(out).not.toContain('obsidian://');
		expect(out).not.toContain('[[');
	});

	it('removes control and bidi characters', () => {
		expect(neutraliseInline('Kobo\u202E\u0007 Clara\u2028x')).toBe('Kobo Clara x');
	});
});

describe('inertPropertyText', () => {
	it.each([
		['[[Evil]] | Author', '\u27E6Evil\u27E7 | Author'],
		['![[secret.png]]', '!\u27E6secret.png\u27E7'],
		['[[[x]]]', '\u27E6[x\u27E7]'],
		['[text](https://x.example)', '[text] (https://x.example)'],
		['Dune [Annotated] #1', 'Dune [Annotated] #1'],
		['', ''],
	])('%s -> %s', (input, expected) => {
		expect(inertPropertyText(input)).toBe(expected);
		expect(inertPropertyText(expected)).toBe(expected);
		expect(expected).not.toMatch(/\[\[|\]\(|\u200B/);
	});
});
