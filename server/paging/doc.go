// Package paging holds the product's rules with no Mattermost plugin-API imports: which
// messages page (trigger matching), at what urgency, the two PagerTree payload formats and
// what PagerTree's answers mean. Everything here is pure and table-tested in isolation.
package paging
