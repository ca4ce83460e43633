/**
 * `Platform` of the obsidian module. One mutable object, like the real one;
 * tests switch it with `setPlatform` (createFakeApp does it for them).
 */
export type FakePlatformKind = 'desktop' | 'mobile' | 'ios' | 'android';

export const Platform = {
	isDesktop: true,
	isMobile: false,
	isDesktopApp: true,
	isMobileApp: false,
	isIosApp: false,
	isAndroidApp: false,
	isPhone: false,
	isTablet: false,
	isMacOS: false,
	isWin: false,
	isLinux: true,
	isSafari: false,
	resourcePathPrefix: 'app://fake-id/',
};

/** 'mobile' means the iOS app, the stricter of the two mobile apps (header casing, Safari). */
export function setPlatform(kind: FakePlatformKind): void {
	const mobile = kind !== 'desktop';
	const ios = kind === 'mobile' || kind === 'ios';
	Object.assign(Platform, {
		isDesktop: !mobile,
		isMobile: mobile,
		isDesktopApp: !mobile,
		isMobileApp: mobile,
		isIosApp: mobile && ios,
		isAndroidApp: mobile && !ios,
		isPhone: mobile,
		isTablet: false,
		isMacOS: ios,
		isWin: false,
		isLinux: !mobile,
		isSafari: mobile && ios,
		resourcePathPrefix: mobile ? 'file:///' : 'app://fake-id/',
	});
}
