package main

import "strings"

// ordinaryWords would page on ordinary talk: a trigger among them is accepted with a warning.
var ordinaryWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an and are at be but can do fix for go help hi i in is issue it me no not now of ok on
		or please so the this to up we yes you problem error bug test alert page hello thanks question low high medium`) {
		m[w] = true
	}
	return m
}()

// triggerHint warns about a trigger that would page on ordinary talk (very short, or a common
// word); the panel shows it next to the trigger. It never refuses one.
func triggerHint(t string) string {
	switch {
	case len([]rune(t)) <= 2:
		return "\"" + t + "\" is very short and will page on ordinary talk."
	case ordinaryWords[strings.ToLower(t)]:
		return "\"" + t + "\" is a common word and will page on ordinary talk."
	}
	return ""
}
