package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/mattermost/mattermost/server/public/model"
)

const botUsername = "pagertree"

// ensureBot creates or updates the plugin's bot account and sets its picture.
func (p *Plugin) ensureBot() (string, error) {
	botID, err := p.API.EnsureBotUser(&model.Bot{
		Username:    botUsername,
		DisplayName: "PagerTree",
		Description: "Pages the on-call team in PagerTree when a trigger word is posted.",
		// Newer servers set the owner to the plugin id themselves; 7.x does not and refuses a
		// bot without one ("Invalid creator id", found running the e2e suite on 7.4).
		OwnerId: manifest.Id,
	})
	if err != nil {
		return "", fmt.Errorf("could not create the pagertree bot account: %w", err)
	}
	bundle, err := p.API.GetBundlePath()
	if err != nil {
		p.API.LogWarn("PagerTree: could not find the plugin bundle to set the bot's picture", "error", err.Error())
		return botID, nil
	}
	if img, err := os.ReadFile(filepath.Join(bundle, "assets", "icon.png")); err == nil { //nolint:gosec // the server names the bundle path
		if appErr := p.API.SetProfileImage(botID, img); appErr != nil {
			p.API.LogWarn("PagerTree: could not set the bot's picture", "error", appErr.Error())
		}
	}
	return botID, nil
}
