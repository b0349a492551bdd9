package main

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// decodeSettings reads plugin settings as Mattermost keeps them (a map with lower-cased keys,
// JSON types) over base, strictly: a value of the wrong type is not silently dropped (as a plain
// json.Unmarshal into the struct would do) but reported in a sentence naming the setting.
// Keys the plugin does not know are ignored (left over from older versions). The same decoding
// serves the save-time hook, the runtime load and the API's on-screen settings.
func decodeSettings(raw map[string]any, base settings) (settings, []settingProblem) {
	out := base
	v := reflect.ValueOf(&out).Elem()
	var problems []settingProblem
	for key, val := range raw {
		i, ok := settingFieldIndex[strings.ToLower(key)]
		if !ok || val == nil {
			continue
		}
		field := v.Field(i)
		name := settingNames[i]
		problem := func(format string, args ...any) {
			problems = append(problems, settingProblem{Key: settingKeys[i], Text: fmt.Sprintf(format, args...)})
		}
		describeValue := describeValue
		if settingSecret[i] {
			describeValue = describeSecretValue // a mistyped secret is still a secret
		}
		switch field.Interface().(type) {
		case bool:
			b, ok := val.(bool)
			if !ok {
				problem("the setting %s must be true or false, not %s", name, describeValue(val))
				continue
			}
			field.SetBool(b)
		case string:
			s, ok := val.(string)
			if !ok {
				problem("the setting %s must be text, not %s", name, describeValue(val))
				continue
			}
			field.SetString(s)
		case flexInt:
			f, ok := flexIntOf(val)
			if !ok {
				problem("the setting %s must be a whole number, not %s", name, describeValue(val))
				continue
			}
			field.Set(reflect.ValueOf(f))
		}
	}
	sort.Slice(problems, func(a, b int) bool { return problems[a].Text < problems[b].Text }) // map order is random; the sentence should not be
	return out, problems
}

// settingNames name each settings field in sentences, by struct field index: the System
// Console's label and the key (plugin.json's settings_schema), e.g. "Enable forwarding" (Enabled).
// settingFieldIndex finds a field by its lower-cased key; settingKeys holds each field's key.
// settingSecret marks the fields plugin.json declares secret: their values never appear in a sentence.
var settingNames, settingKeys, settingFieldIndex, settingSecret = func() ([]string, []string, map[string]int, []bool) {
	labels := map[string]string{}
	secrets := map[string]bool{}
	for _, f := range manifest.SettingsSchema.Settings {
		labels[strings.ToLower(f.Key)] = strings.TrimSuffix(strings.TrimSpace(f.DisplayName), ":")
		secrets[strings.ToLower(f.Key)] = f.Secret
	}
	t := reflect.TypeOf(settings{})
	names := make([]string, t.NumField())
	keys := make([]string, t.NumField())
	secret := make([]bool, t.NumField())
	index := map[string]int{}
	for i := 0; i < t.NumField(); i++ {
		key := t.Field(i).Tag.Get("json")
		names[i], keys[i] = key, key
		if label := labels[strings.ToLower(key)]; label != "" {
			names[i] = strconv.Quote(label) + " (" + key + ")"
		}
		secret[i] = secrets[strings.ToLower(key)]
		index[strings.ToLower(key)] = i
	}
	return names, keys, index, secret
}()

// flexIntOf accepts what the System Console and the API store for a number setting: a JSON
// number, or a string of digits (older consoles). A number that is not whole or does not fit
// is kept as text so the range check can say what was given.
func flexIntOf(v any) (flexInt, bool) {
	switch n := v.(type) {
	case float64:
		if n != math.Trunc(n) || math.Abs(n) > 1<<53 {
			return flexInt{bad: strconv.FormatFloat(n, 'f', -1, 64)}, true
		}
		return flexInt{n: int(n), set: true}, true
	case int:
		return flexInt{n: n, set: true}, true
	case int64:
		if n > math.MaxInt32 || n < math.MinInt32 {
			return flexInt{bad: strconv.FormatInt(n, 10)}, true
		}
		return flexInt{n: int(n), set: true}, true
	case json.Number:
		var f flexInt
		if err := f.UnmarshalJSON([]byte(n)); err != nil {
			return flexInt{}, false
		}
		return f, true
	case string:
		var f flexInt
		b, _ := json.Marshal(n)
		if err := f.UnmarshalJSON(b); err != nil {
			return flexInt{}, false
		}
		return f, true
	}
	return flexInt{}, false
}

// describeSecretValue names only the kind of a wrongly typed secret value.
func describeSecretValue(v any) string {
	switch v.(type) {
	case float64, int, int64, json.Number:
		return "a number"
	case bool:
		return "true or false"
	}
	return describeValue(v)
}

// describeValue names a wrongly typed value in a sentence, shortened.
func describeValue(v any) string {
	switch x := v.(type) {
	case string:
		if len(x) > 40 {
			x = x[:40] + "…"
		}
		return strconv.Quote(x)
	case bool:
		return strconv.FormatBool(x)
	case float64, int, int64, json.Number:
		return fmt.Sprintf("the number %v", x)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("a value of type %T", v)
}
