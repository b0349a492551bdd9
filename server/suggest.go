package main

import "github.com/pagertree/mattermost-plugin-pagertree/server/paging"

// "Did you mean": kept because a mistyped urgency ("critcal") would otherwise page at the
// default urgency without a word; /pagertree alert refuses it and names the level instead.
// Subcommand suggestions reuse the same distance.

// nearest returns the candidate within maxDist edits of word, or "".
func nearest(word string, candidates []string, maxDist int) string {
	best, bestD := "", maxDist+1
	for _, c := range candidates {
		if d := editDistance(word, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// nearestLevel spots a mistyped urgency ("hihg", "critcal") as the first word of an alert.
// Short words must be one edit away and share the first letter, so "log" or "hi" are not taken.
func nearestLevel(word string) string {
	for _, l := range paging.Levels {
		lv := string(l)
		limit := 2
		if len(lv) <= 4 {
			limit = 1
		}
		if len(word) >= 3 && word[0] == lv[0] && editDistance(word, lv) <= limit && !commonWords[word] {
			return lv
		}
	}
	return ""
}

// commonWords are one edit from a level but are ordinary words that start alerts.
var commonWords = map[string]bool{"log": true, "logs": true, "lot": true, "row": true, "how": true, "now": true, "media": true, "median": true}

// editDistance is the optimal-string-alignment distance on runes: Levenshtein plus the swap
// of two neighbours ("hihg"), the commonest typo.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
