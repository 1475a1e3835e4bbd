// A small Eleventy site written to Eleventy's documented conventions, for feedtool's dialect tests.
import { feedPlugin } from "@11ty/eleventy-plugin-rss";

export default function (eleventyConfig) {
	eleventyConfig.addPreprocessor("drafts", "*", (data, content) => {
		if (data.draft && process.env.ELEVENTY_RUN_MODE === "build") {
			return false;
		}
	});
	eleventyConfig.addPlugin(feedPlugin, {
		type: "atom",
		outputPath: "/feed/feed.xml",
		collection: {
			name: "posts",
			limit: 10,
		},
		metadata: {
			language: "en",
			title: "Eleventy Test Site",
			subtitle: "Posts written for Eleventy.",
			base: "https://eleventy.example.org/",
			author: {
				name: "Eleven Tee",
			},
		},
	});
}

export const config = {
	dir: {
		input: "content",
		includes: "../_includes",
		data: "../_data",
	},
};
