"""Site tools around a build: the preview server, init/new scaffolding, WebSub pings, discovery links."""
