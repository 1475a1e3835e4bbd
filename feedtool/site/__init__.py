"""Site tools around a build: preview server, init/new scaffolding, WebSub, discovery links."""
