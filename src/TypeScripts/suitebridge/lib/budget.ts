/**
 * install_check must stay within this many governance units. Worst case today: isBundleInstalled 5 +
 * listBundlesContainingScripts 10 + two SuiteQL queries 20 + one employee load 5 = 40.
 */
export const INSTALL_CHECK_UNIT_BUDGET = 50;
