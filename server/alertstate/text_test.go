package alertstate

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mattermost/mattermost/server/public/shared/markdown"
)

const z = "\u200b"

func TestNeutralize(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain text", "Disk full on db1\n98% used", "Disk full on db1\n98% used"},
		{"formatting stays", "**down** since `10:02`, see _runbook_", "**down** since `10:02`, see _runbook_"},
		{"mention", "@channel and @alice", "@" + z + "channel and @" + z + "alice"},
		{"image", "![img](http://127.0.0.1:9/track.png)", "img ([http://127.0.0.1:9/track.png](http://127.0.0.1:9/track.png))"},
		{"image with title", `![chart](https://x.example/c.png "CPU")`, "chart ([https://x.example/c.png](https://x.example/c.png))"},
		{"image in angle brackets", "![a](<https://x.example/a b.png>)", "a ([https://x.example/a b.png](https://x.example/a%20b.png))"},
		{"image without alt", "see ![](https://x.example/a.png)", "see image ([https://x.example/a.png](https://x.example/a.png))"},
		{"image after a bang", "!![](https://x.example/a.png)", "!image ([https://x.example/a.png](https://x.example/a.png))"},
		{"reference image", "![alt][r]\n\n[r]: http://x.example/t.png", "alt ([http://x.example/t.png](http://x.example/t.png))\n\n[r]" + z + ": http://x.example/t.png"},
		{"collapsed reference image", "![Pixel][]\n\n[pixel]: http://x.example/t.png", "Pixel ([http://x.example/t.png](http://x.example/t.png))\n\n[pixel]" + z + ": http://x.example/t.png"},
		{"shortcut reference image", "![pixel]\n\n[pixel]: http://x.example/t.png", "pixel ([http://x.example/t.png](http://x.example/t.png))\n\n[pixel]" + z + ": http://x.example/t.png"},
		{"undefined reference image", "![alt][nope]", "!" + z + "[alt][nope]"},
		{"relative image", "![x](y.png)", "x (y.png)"},
		{"data image", "![x](data:image/png;base64,AAAA)", "x (data" + z + ":image/png;base64,AAAA)"},
		{"unclosed image", "![x](http://a.example/b.png", "!" + z + "[x](http://a.example/b.png"},
		{"escaped image is a link", `\![x](https://a.example)`, `\![x](https://a.example)`},
		{"badge: image in a link", "[![build](https://ci.example/b.svg)](https://ci.example/job)", "[build](https://ci.example/job)"},
		{"runbook link stays", "see [runbook](https://wiki.example/run_book?a=1&b=(2))", "see [runbook](https://wiki.example/run_book?a=1&b=%282%29)"},
		{"reference link becomes inline", "[docs][d]\n\n[d]: https://docs.example", "[docs](https://docs.example)\n\n[d]" + z + ": https://docs.example"},
		{"javascript link is text", "[click](javascript:alert(1))", "click (javascript" + z + ":alert\\(1\\))"},
		{"entity colon", "[click](javascript&#58;alert(1))", "click (javascript" + z + ":alert\\(1\\))"},
		{"mailto link is text", "[mail](mailto:a@b.example)", "mail (mailto" + z + ":a@" + z + "b.example)"},
		{"bare schemes are text", "ftp://x.example tel:+1555 ssh://h", "ftp" + z + "://x.example tel" + z + ":+1555 ssh" + z + "://h"},
		{"bare http stays", "https://status.example/x and www.example.com", "https://status.example/x and www.example.com"},
		{"angle autolink of another scheme", "<javascript:alert(1)>", "<javascript" + z + ":alert(1)>"},
		{"colon before a space is text", "ERROR: disk full", "ERROR: disk full"},
		{"brackets that are no link", "[WARN] x [1]", "[WARN] x [1]"},
		{"definition in a quote", "> [r]: http://x.example/t.png", "> [r]" + z + ": http://x.example/t.png"},
		{"deep nesting is literal", "[[[[a](https://x.example)](https://x.example)](https://x.example)](https://x.example)", `[\[a\]\(https://x.example\)](https://x.example)`},
		{"tiny id", "42", "42"},
		{"code span holding the bracket", "[`]`](t: )", "`]` (t:)"},
		{"code span past the bracket: no link", "[a`](x)`", "[a`](x)`"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Neutralize(c.in); got != c.want {
				t.Fatalf("Neutralize(%q)\n got %q\nwant %q", c.in, got, c.want)
			}
			checkNeutral(t, c.in, Neutralize(c.in))
		})
	}
}

// Every piece of PagerTree text on the card and in replies goes through Neutralize.
func TestCardAndRepliesNeverCarryAnImage(t *testing.T) {
	const img = "![img](http://127.0.0.1:9/track.png)"
	card := Card(CardInput{Summary: "Title " + img, Details: "Desc " + img, Status: Status{TinyID: img, AckBy: Person{Name: img}.Display(), State: Acknowledged}})
	for _, s := range []string{card.Text, card.Title} {
		checkNeutral(t, img, s)
	}
	for _, f := range card.Fields {
		checkNeutral(t, img, f.Value.(string))
	}
	r := Apply(Status{}, Event{Kind: KindCommentCreated, CommentID: "c1", CommentBody: "look " + img, By: Person{Name: "Eve " + img}})
	if len(r.Replies) != 1 {
		t.Fatalf("replies %q", r.Replies)
	}
	checkNeutral(t, img, r.Replies[0])
	h := handoffText(Event{Kind: KindHandoff, By: Person{Name: img}, From: Person{Name: "[x](javascript:y)"}})
	checkNeutral(t, img, h)
}

func FuzzNeutralize(f *testing.F) {
	for _, seed := range []string{
		"![img](http://127.0.0.1:9/track.png)", "![a][r]\n\n[r]: http://x/t.png", "[![b](https://c/b.svg)](https://c/j)",
		"[x](javascript:alert(1))", "<mailto:a@b>", "@channel", "!![](http://x/a.png)", "![a](<http://x/a b.png> 'T')",
		"[a `]` b](javascript:x)", "![a `]` b](http://x/t.png)", "\\\\![x](http://x)", "[r]:\n  http://x/t.png\n\n![r]",
		"[`]`](t: )", // a fuzz finding: the code span's "]" is not the link's
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkNeutral(t, in, Neutralize(in))
		name := Name(in)
		checkNeutral(t, in, name)
		if strings.ContainsAny(name, "\n\r") {
			t.Fatalf("a name on more than one line: %q", name)
		}
		markdown.Inspect(name, func(node any) bool {
			switch node.(type) {
			case *markdown.InlineLink, *markdown.ReferenceLink, *markdown.Autolink:
				t.Fatalf("a link in the name %q (from %q)", name, in)
			}
			return true
		})
	})
}

// checkNeutral is what Neutralize promises, checked with the Mattermost server's own Markdown
// parser (the one that finds the images it fetches) and lexically (for every other reader).
func checkNeutral(t *testing.T, in, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("invalid UTF-8 from %q", in)
	}
	markdown.Inspect(out, func(node any) bool {
		switch v := node.(type) {
		case *markdown.InlineImage, *markdown.ReferenceImage:
			t.Fatalf("an image survived in %q (from %q)", out, in)
		case *markdown.InlineLink:
			checkScheme(t, in, out, v.Destination())
		case *markdown.ReferenceLink:
			checkScheme(t, in, out, v.Destination())
		case *markdown.Autolink:
			checkScheme(t, in, out, v.Destination())
		}
		return true
	})
	if _, defs := markdown.Parse(out); len(defs) > 0 {
		t.Fatalf("a reference definition survived in %q (from %q)", out, in)
	}
	for i := 0; i < len(out); i++ {
		switch {
		case out[i] == '\\':
			i++
		case strings.HasPrefix(out[i:], "!["), strings.HasPrefix(out[i:], "]:"):
			t.Fatalf("%q at %d of %q (from %q)", out[i:i+2], i, out, in)
		case out[i] == '@' && !strings.HasPrefix(out[i+1:], z):
			t.Fatalf("a mention survived in %q (from %q)", out, in)
		}
	}
}

// checkScheme: a link is http(s) or no absolute URL at all (a relative one goes nowhere else).
func checkScheme(t *testing.T, in, out, dest string) {
	t.Helper()
	u, err := url.Parse(strings.TrimSpace(dest))
	if err != nil {
		return
	}
	if s := strings.ToLower(u.Scheme); s != "" && s != "http" && s != "https" {
		t.Fatalf("a %s: link survived in %q (from %q)", s, out, in)
	}
}
