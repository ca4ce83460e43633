// Stands in for Node's `fs` in bundles: gray-matter requires it only for
// `matter.read`, which Library Sync never calls. The mobile app has no `fs`.
export {};
