/**
 * The mix `memprobe load` sends to the embedded reference notification service when no --scenario is given:
 * create, list, mark read and stats, weighted 3:4:2:1, over 50 users created (and seeded with one
 * notification each) before the load. The same object ships as fixtures/load/notification-scenario.json,
 * the example to copy for a scenario of your own (a unit test keeps the two identical).
 */
export const NOTIFICATION_SCENARIO = {
  name: 'notification-service',
  users: 50,
  setup: [
    { name: 'create user', method: 'POST', path: '/users', body: { id: '{user}' } },
    {
      name: 'seed notification',
      method: 'POST',
      path: '/notifications',
      body: { userId: '{user}', title: 'Welcome', body: 'Your account is ready.' },
      capture: { nid: 'id' },
    },
  ],
  operations: [
    {
      name: 'create',
      method: 'POST',
      path: '/notifications',
      body: {
        userId: '{user}',
        title: 'Order {i} shipped',
        body: 'Your order is on its way.',
        priority: 'normal',
        data: { order: '{i}' },
      },
      weight: 3,
      capture: { nid: 'id' },
    },
    { name: 'list', method: 'GET', path: '/users/{user}/notifications?limit=20', weight: 4 },
    { name: 'mark read', method: 'POST', path: '/users/{user}/notifications/{nid}/read', weight: 2 },
    { name: 'stats', method: 'GET', path: '/stats', weight: 1 },
  ],
} as const;
