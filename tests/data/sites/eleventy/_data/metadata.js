export default {
	title: "Eleventy Test Site",
	url: "https://eleventy.example.org/",
	language: "en",
};
