export default {
	tags: ["posts"],
};
