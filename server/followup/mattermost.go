package followup

import "github.com/mattermost/mattermost/server/public/model"

// Mattermost is the part of the plugin API the follow-up needs: posts (the card, the replies,
// a private answer, the files of a reply sent as a comment), the people and channels they
// concern, permissions, and the log. The signatures are plugin.API's, so the plugin passes its API as it is (and tests a
// *plugintest.API); nothing here can reach the plugin's other state.
type Mattermost interface {
	CreatePost(post *model.Post) (*model.Post, *model.AppError)
	UpdatePost(post *model.Post) (*model.Post, *model.AppError)
	GetPost(postID string) (*model.Post, *model.AppError)
	DeletePost(postID string) *model.AppError
	GetPostThread(postID string) (*model.PostList, *model.AppError)
	GetFileInfo(fileID string) (*model.FileInfo, *model.AppError)
	SendEphemeralPost(userID string, post *model.Post) *model.Post

	GetUser(userID string) (*model.User, *model.AppError)
	GetUserByEmail(email string) (*model.User, *model.AppError)

	GetChannel(channelID string) (*model.Channel, *model.AppError)
	GetChannelByName(teamID, name string, includeDeleted bool) (*model.Channel, *model.AppError)
	GetChannelByNameForTeamName(teamName, channelName string, includeDeleted bool) (*model.Channel, *model.AppError)
	GetChannelMember(channelID, userID string) (*model.ChannelMember, *model.AppError)

	HasPermissionTo(userID string, permission *model.Permission) bool
	HasPermissionToChannel(userID, channelID string, permission *model.Permission) bool

	LogDebug(msg string, keyValuePairs ...any)
	LogInfo(msg string, keyValuePairs ...any)
	LogWarn(msg string, keyValuePairs ...any)
	LogError(msg string, keyValuePairs ...any)
}
